"""Files the app reads at run time (translations), found with importlib.resources so an
installed package, an editable install and a frozen bundle all locate them the same way."""
