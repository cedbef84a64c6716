"""Exports of the graph to other tools' formats (FollowTheMoney JSON Lines)."""
