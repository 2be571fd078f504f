"""Bulk importers: base.py is the engine, writing.py the inserts and the import lock, scope.py what an
import may touch (the access policy), registries.py, people.py and localities.py the five registries."""
