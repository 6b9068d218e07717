"""Renderers: they show reports, traces and snapshots; they never compute."""
