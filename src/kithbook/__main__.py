from kithbook.cli.entry import run

run()
