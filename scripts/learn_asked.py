"""Write knowledge/asked/: the blind sets' questions as examples of the topics they lead to.

The code is bot/cli/learn_asked.py; ``--help`` lists its options.
"""

from bot.cli.learn_asked import main

if __name__ == "__main__":
    raise SystemExit(main())
