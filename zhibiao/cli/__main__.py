"""`python -m zhibiao.cli`: the command line without its installed script (the tests run it so)."""

from zhibiao.cli import app

if __name__ == "__main__":  # a spawned worker process imports this module as __mp_main__: it must not run the app
    app()
