#!/usr/bin/env bash
# Creates or refreshes spaces/.venv from requirements.lock.txt; a no-op when it is current.
exec bash "$(dirname "${BASH_SOURCE[0]}")/start.sh" setup
