from huikan.cli import run

run()
