"""Snapshots of a store: exports in many formats, slices, loading back, diffs, analytics and
the interactive HTML view."""
