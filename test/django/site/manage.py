#!/usr/bin/env python3
"""The minimal Django site SessionScope's tests share sessions with (see sessionsite/settings.py)."""
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sessionsite.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
