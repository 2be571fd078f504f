import sys

from aldea.cli import main

sys.exit(main())
