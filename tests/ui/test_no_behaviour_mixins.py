"""Behaviour comes from one base class; helpers are held, not mixed in.

Every class defined under :mod:`artistree_tui.ui` is checked: a class may have several bases,
but only one of them may add behaviour when any of them is a class of this project. The other
project bases must be *binding-only*, as the house rules allow ("key-binding-only mixins are
fine"). Precisely:

- a **project class** is one whose ``__module__`` is ``artistree_tui`` or below it;
- a base **adds behaviour** unless it is ``object``, ``typing.Generic``/``Protocol``, or a
  binding-only project class;
- a project class is **binding-only** when its own namespace holds nothing beyond what an
  empty class with the same bases gets (Textual's metaclass and ``__init_subclass__`` add
  bookkeeping attributes to every widget class, which do not count) except ``BINDINGS`` and
  documentation (``__doc__``, annotations, where it was defined), and its project bases are
  binding-only too;
- a class **fails** when more than one of its direct bases adds behaviour and one of those is
  a project class. So ``MainScreen(LiveScreen, ScreenLayout)`` fails, and so does
  ``DetailPane(PreviewKeys, VerticalScroll)`` (a behaviour mixin beside a Textual widget);
  ``PreviewPanel(PreviewCanvas)`` (plain inheritance) and ``class X(SomeKeys, Screen)`` with
  ``SomeKeys`` holding only ``BINDINGS`` pass.
"""

from __future__ import annotations

import typing
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen

from artistree_tui.ui.keys.table import ui_classes

PROJECT = "artistree_tui"
#: What a class statement puts in a class's namespace besides its body: no behaviour.
DOCUMENTATION = frozenset(
    {
        "__module__",
        "__qualname__",
        "__doc__",
        "__annotations__",
        "__annotate__",
        "__annotate_func__",
        "__annotations_cache__",
        "__firstlineno__",
        "__static_attributes__",
        "__orig_bases__",
        "__parameters__",
        "__dict__",
        "__weakref__",
    }
)
#: Bases that carry no behaviour of their own.
NEUTRAL_BASES: frozenset[object] = frozenset({object, typing.Generic, typing.Protocol})


def is_project_class(cls: type) -> bool:
    return cls.__module__ == PROJECT or cls.__module__.startswith(PROJECT + ".")


def own_additions(cls: type) -> set[str]:
    """The names ``cls`` defines itself, beyond what an empty class on its bases gets."""
    empty = type(f"Empty{cls.__name__}", cls.__bases__, {"__module__": __name__})
    return set(cls.__dict__) - set(empty.__dict__) - DOCUMENTATION


def binding_only(cls: type) -> bool:
    """A project class that adds ``BINDINGS`` and nothing else (see the module docstring)."""
    if not is_project_class(cls) or own_additions(cls) - {"BINDINGS"}:
        return False
    return all(binding_only(base) for base in cls.__bases__ if is_project_class(base))


def behaviour_bases(cls: type) -> list[type]:
    return [b for b in cls.__bases__ if b not in NEUTRAL_BASES and not binding_only(b)]


def mixes_in_behaviour(cls: type) -> bool:
    bases = behaviour_bases(cls)
    return len(bases) > 1 and any(is_project_class(base) for base in bases)


def describe(cls: type) -> str:
    bases = ", ".join(f"{b.__module__}.{b.__qualname__}" for b in behaviour_bases(cls))
    return f"{cls.__module__}.{cls.__qualname__}({bases})"


def test_no_ui_class_mixes_in_behaviour() -> None:
    classes = ui_classes()  # every class defined in a module of artistree_tui.ui
    assert len(classes) > 50  # the walk found the package (it has ~80 classes)
    offenders = [describe(cls) for cls in classes if mixes_in_behaviour(cls)]
    assert not offenders, (
        "classes that inherit behaviour from more than one base, one of them ours (hold a "
        f"helper object instead; only BINDINGS may be mixed in): {offenders}"
    )


# -- the detector itself, on classes made to look like the project's -------------------------


def project(cls: type) -> type:
    """``cls`` as if defined in a module of this project."""
    cls.__module__ = "artistree_tui.ui.example"
    return cls


def test_a_behaviour_mixin_beside_a_widget_is_found() -> None:
    @project
    class ZoomKeys:
        def action_zoom(self) -> None: ...

    @project
    class Pane(ZoomKeys, VerticalScroll):
        pass

    assert mixes_in_behaviour(Pane)
    assert behaviour_bases(Pane) == [ZoomKeys, VerticalScroll]


def test_two_project_bases_with_behaviour_are_found() -> None:
    @project
    class Refresher(Screen[None]):
        refresh_count = 0

    @project
    class Layout:
        def on_resize(self) -> None: ...

    @project
    class Main(Layout, Refresher):
        pass

    assert mixes_in_behaviour(Main)


def test_binding_only_mixins_and_plain_inheritance_pass() -> None:
    @project
    class LiveKeys(Screen[None]):
        """Only keys."""

        BINDINGS: ClassVar[list[BindingType]] = [Binding("a", "toggle_live", "Auto-refresh")]

    @project
    class MoreKeys(LiveKeys):
        BINDINGS: ClassVar[list[BindingType]] = [Binding("b", "other", "Other")]

    @project
    class Main(MoreKeys, Screen[None]):
        def action_toggle_live(self) -> None: ...

    @project
    class Wider(Main):  # plain inheritance: one base
        def on_resize(self) -> None: ...

    assert binding_only(LiveKeys) and binding_only(MoreKeys)
    assert not mixes_in_behaviour(Main)
    assert not mixes_in_behaviour(Wider)
    assert not binding_only(Main)  # it has an action: behaviour


def test_a_keys_mixin_with_an_action_is_not_binding_only() -> None:
    @project
    class PreviewKeys:
        BINDINGS: ClassVar[list[BindingType]] = [Binding("z", "zoom", "Zoom")]

        def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
            return True

    @project
    class Table(PreviewKeys, VerticalScroll):
        pass

    assert not binding_only(PreviewKeys)
    assert mixes_in_behaviour(Table)
