from app.main import main

# Guarded: a first sync's page process (multiprocessing, spawn) imports this module again.
if __name__ == "__main__":
    raise SystemExit(main())
