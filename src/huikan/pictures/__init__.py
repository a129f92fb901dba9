"""Pictures: the stage between ingest and render.

survey.py opens every picture the issue names once, checks it and describes it in the model
(`Issue.pictures`); variants.py makes the pixels each output wants from the original (print at most
300 ppi where it is placed, Word 220 ppi, the web 1600 and 800 px wide, all upright), and store.py
keeps them under the build folder by content and settings, so that a rebuild reuses them.
"""
