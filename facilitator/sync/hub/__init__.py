"""The agency hub: laptops meet in a PostgreSQL database the agency runs, each one keeping its own file.

`connection` turns what the facilitator gave into a connection (credentials from libpq, TLS off-machine);
`schema` sets up and migrates the hub's tables, policies and views; `rows` says which groups a version
belongs to; `exchange` pushes and pulls with the bundles' merge rules; `access` assigns groups to roles.
psycopg is imported only here, and only when the hub is used.
"""
