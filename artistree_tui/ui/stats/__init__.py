"""The stats bar: how many orders of the open scope are in each state.
Posts nothing; the screen feeds it the latest order_stats.
"""
