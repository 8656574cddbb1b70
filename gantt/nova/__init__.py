"""The compute controller's scheduler wire: nova's RPC API served by Gantt.

Everything that speaks nova's format lives here, at the edge: the subset
of nova's versioned objects (namespace ``nova_object``) Gantt reads and
writes, their translation to and from Gantt's own objects, the RPC
endpoint for nova's conductors, computes and API, and the exception nova
re-raises as its own NoValidHost. The engine never sees any of it, and
Gantt never imports nova.
"""
