"""The project sidebar and the project directory: which projects exist, their ids (learnt from
full orders: discovery) and the user's role in each.
Posts: ProjectChosen, ProjectsSeen, DiscoveryDone.
"""
