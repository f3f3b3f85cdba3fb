from salesdash.cli import main

# Guarded: the forecast's worker processes import the main module again (multiprocessing's
# forkserver does), and must not run the command a second time.
if __name__ == "__main__":
    raise SystemExit(main())
