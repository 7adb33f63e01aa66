from kithbook.cli.main import run

run()
