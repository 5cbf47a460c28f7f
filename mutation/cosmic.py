"""cosmic-ray's command line, without aiohttp's five-minute limit on a worker's answer.

A surviving mutant may run its tests for longer than that; the test command enforces its own time limit.
"""

import sys

import aiohttp.client
from cosmic_ray.cli import cli

aiohttp.client.DEFAULT_TIMEOUT = aiohttp.client.ClientTimeout(total=None, sock_connect=30)

if __name__ == "__main__":
    sys.exit(cli())
