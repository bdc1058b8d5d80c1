"""Microsoft Teams: the answering core behind ``/api/messages``, through the Microsoft 365
Agents SDK. ``cards`` renders results as Adaptive Cards, ``handler`` answers message
activities, ``auth`` checks the Bot Framework / Entra token, ``app`` wires them to aiohttp,
``package`` writes the Teams app package."""
