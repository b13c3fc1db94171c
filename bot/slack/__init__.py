"""The Slack adapter: bolt ingress (record + ack), the inbox worker, the outbox sender, Block Kit rendering."""
