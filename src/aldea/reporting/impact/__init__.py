"""The platform's impact estimates: the MSME x month panel from its database, the estimates,
who benefits, and where they are stored."""
