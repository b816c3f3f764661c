"""A real terminal for the end-to-end tests: one tmux session running a command, driven by keys, read off
the screen."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid

POLL = 0.1  # seconds between two looks at the screen


class Terminal:
    """One tmux session running a command at a fixed size."""

    def __init__(self, command: list[str], width: int = 100, height: int = 32) -> None:
        self.name = f"facilitator-{uuid.uuid4().hex[:8]}"
        subprocess.run(
            ["tmux", "new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height), *command],
            check=True,
        )

    def screen(self) -> str:
        command = ["tmux", "capture-pane", "-p", "-t", self.name]
        return subprocess.run(command, capture_output=True, text=True).stdout

    def wait_for(self, text: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(POLL)
        raise AssertionError(f"{text!r} never appeared; the screen shows:\n{self.screen()}")

    def wait_gone(self, text: str, timeout: float = 20) -> str:
        """Wait until `text` has left the screen (a dialog closed), and return what shows then."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.screen()
            if text not in shown:
                return shown
            time.sleep(POLL)
        raise AssertionError(f"{text!r} never went away; the screen shows:\n{self.screen()}")

    def keys(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)

    def type(self, text: str) -> None:
        """Type `text` literally (no key names)."""
        self.keys("-l", text)

    def line_with(self, text: str) -> str:
        """The first line of the screen that begins with `text` (a table's row), else the first holding it
        (empty when none does)."""
        lines = self.screen().splitlines()
        starting = [line for line in lines if line.strip(" │").startswith(text)]
        holding = [line for line in lines if text in line]
        return (starting or holding or [""])[0]

    def wait_for_line(self, text: str, *parts: str, timeout: float = 20) -> str:
        """Wait until the line holding `text` also holds each of `parts` (a toast may cover it a moment)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.line_with(text)
            if text in line and all(part in line for part in parts):
                return line
            time.sleep(POLL)
        shown = self.screen()
        raise AssertionError(f"the line with {text!r} never showed {parts!r}; the screen shows:\n{shown}")

    def alive(self) -> bool:
        return subprocess.run(["tmux", "has-session", "-t", self.name], capture_output=True).returncode == 0

    def kill_the_app(self) -> None:
        """`kill -9` the command the terminal runs, as a crash would end it, and wait until it has ended."""
        shown = ["tmux", "display-message", "-p", "-t", self.name, "#{pane_pid}"]
        pid = int(subprocess.run(shown, capture_output=True, text=True, check=True).stdout)
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while self.alive() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not self.alive(), "the terminal outlived its killed command"

    def past_the_resume_question(self) -> None:
        """The demo has a session in progress: the app asks about it first; "not now" goes to Home."""
        self.wait_for("Did the session keep going")
        self.keys("Escape")
        self.wait_for("Tuesday Recovery Group")
        time.sleep(0.5)  # a key straight after Escape would arrive as alt+key

    def quit(self, *keys: str) -> None:
        """Press `keys` (q by default) and check the app has ended within ten seconds."""
        self.keys(*(keys or ("q",)))
        deadline = time.monotonic() + 10
        while self.alive() and time.monotonic() < deadline:
            time.sleep(POLL)
        assert not self.alive(), self.screen()

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)
