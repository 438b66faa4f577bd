#!/usr/bin/env python
"""Django's command-line utility.

``acuevidence <command>`` runs the same management commands, except for the
evidence core's own commands (``parse``, ``extract``, ``meta``, ``check``):
Django's system check is ``python manage.py check``.
"""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "acuevidence.config.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
