from huikan.cli import main

main()
