# SPDX-License-Identifier: LGPL-2.1-or-later
"""A private XDG_RUNTIME_DIR for the Wine runs of a test runner.

Wine 10's Wayland driver prints "XDG_RUNTIME_DIR is invalid or not set in the
environment" on every start without one.  Where the variable names no
directory, this sets it to a fresh one (mkdtemp's are 0700) for the block's
duration and removes it afterwards.
"""
import contextlib
import os
import shutil
import tempfile


@contextlib.contextmanager
def private_runtime_dir():
    if os.path.isdir(os.environ.get('XDG_RUNTIME_DIR', '')):
        yield
        return
    path = tempfile.mkdtemp(prefix='ws2send-xdg-')
    old = os.environ.get('XDG_RUNTIME_DIR')
    os.environ['XDG_RUNTIME_DIR'] = path
    try:
        yield
    finally:
        if old is None:
            del os.environ['XDG_RUNTIME_DIR']
        else:
            os.environ['XDG_RUNTIME_DIR'] = old
        shutil.rmtree(path, ignore_errors=True)
