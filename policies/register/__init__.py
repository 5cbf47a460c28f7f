"""The public decision register: pages and an Atom feed anyone may read without signing in (/register/)."""
