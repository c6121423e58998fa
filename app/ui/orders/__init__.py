"""The orders panel: tabs, table, filters, the order's detail."""
