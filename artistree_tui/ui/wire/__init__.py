"""What the console writes to the terminal, made smaller before it crosses the network.

Textual writes every run of text as ``ESC[<whole style>m text ESC[0m`` and every fragment of a
line (the compositor cuts lines wherever a widget starts or ends, on any layer) after its own
cursor move. Over SSH all of it crosses the network. :mod:`.minimize` rewrites one write's
escape stream into the fewest bytes that leave the terminal in the same state: no reset between
two runs, only the attributes and colours that change, no cursor move to where the cursor
already is. :class:`.driver.WireDriver` applies it in Textual's output thread, off the UI loop.
Before that, :class:`.compositor.SparseCompositor` makes a frame from only the widgets and lines
that changed (Textual asks every widget inside the outline of all the changes), and
:mod:`.truecolor` leaves a line with no colour to convert as it is.
Posts: nothing.
"""
