"""Django's PostgreSQL backend with one change, in `compiler.py`: small bulk inserts are written as VALUES.

Settings name it as the ENGINE (`cafepos.postgresql`); everything else is Django's own.
"""
