"""The main screen: composes the stats bar, project sidebar, order list, detail pane and
status line, routes their messages to one another, shares the room between them (layout) and
moves the keyboard between them (pane_focus).
Posts: JumpLoaded / JumpFailed ("go to order id").
"""
