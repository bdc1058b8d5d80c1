"""What the bot keeps: questions asked, feedback, and what was posted once per period."""
