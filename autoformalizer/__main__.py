import sys

from autoformalizer.cli import main

sys.exit(main())
