from aldea.cli import run

run()
