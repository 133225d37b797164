"""The ``audifi`` command line: local servers, migrations, data generation and dbt runs."""

__version__ = "0.1.0"
