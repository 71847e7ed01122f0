"""The main screen: composes the stats bar, project sidebar, order list, detail pane and
status line, routes their messages to one another, and shares the room between them (layout).
Posts: JumpLoaded / JumpFailed ("go to order id").
"""
