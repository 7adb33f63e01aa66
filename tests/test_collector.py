"""collector.paused: the cyclic collector is off inside, back on after the outermost use
ends (also on an error), and left off if it was off before."""

from __future__ import annotations

import gc
import threading

import pytest

from kithbook import collector


def test_nested_uses_keep_it_paused_until_the_last_ends() -> None:
    assert gc.isenabled()
    with collector.paused():
        assert not gc.isenabled()
        with collector.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_error_inside_still_turns_it_back_on() -> None:
    with pytest.raises(ValueError), collector.paused():
        raise ValueError("boom")
    assert gc.isenabled()


def test_it_stays_off_if_it_was_off() -> None:
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_overlapping_threads_turn_it_on_once_both_are_done() -> None:
    inside, release = threading.Event(), threading.Event()

    def other() -> None:
        with collector.paused():
            inside.set()
            release.wait(10)

    t = threading.Thread(target=other)
    with collector.paused():
        t.start()
        assert inside.wait(10)
    assert not gc.isenabled()  # the other thread's operation is still running
    release.set()
    t.join(10)
    assert gc.isenabled()


def test_a_quiet_start_ends_when_the_process_settles() -> None:
    collector.start_quietly()
    try:
        assert not gc.isenabled()
        collector.settle()
        assert gc.isenabled() and gc.get_freeze_count() > 0
        collector.started()  # once only: nothing more to do
        assert gc.isenabled()
    finally:
        gc.unfreeze()
        gc.enable()
