"""derive: check every step of a hand-written ML derivation with SymPy."""

__version__ = "0.1.0"

# The Python API and the IPython extension, loaded on first use, so that ``import derive``
# (and ``derive --help``) stays light: nothing here imports SymPy.
_LAZY = {
    "check_text": "derive.api",
    "check_file": "derive.api",
    "Result": "derive.api",
    "DeriveInputError": "derive.api",
    "load_ipython_extension": "derive.jupyter",
    "unload_ipython_extension": "derive.jupyter",
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'derive' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(module), name)


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])
