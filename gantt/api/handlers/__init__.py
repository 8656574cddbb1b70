"""One module per placement resource, each a set of ``handler(req,
**route)`` functions returning a webob Response."""
