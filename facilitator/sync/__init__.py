"""Moving records between databases: the merge rules (pure), the conflict log, bundle files.

`merge` holds the rules every exchange uses (bundles now, the agency hub later); `conflicts` turns the
facilitator's pick from the log into writes; `bundle` reads and writes the files that travel between laptops.
Nothing here imports Textual or Rich.
"""
