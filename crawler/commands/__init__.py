"""The project's commands (``COMMANDS_MODULE``). Imported before any command runs, so it is
where output piped into ``head`` is made to end quietly for all of them."""

from crawler.commands.common import quiet_broken_pipe

quiet_broken_pipe()
