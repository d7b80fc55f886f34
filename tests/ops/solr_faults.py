"""A Solr that is not there for a while, as a SolrCloud shard without leader is to CKAN."""

from __future__ import annotations

import socket
import threading


class RefusingSolr:
    """A port that takes connections and drops them, as a Solr node does while it dies; after
    ``refusals`` connections CKAN is pointed back at the real Solr."""

    def __init__(self, ckan_config, refusals: int):
        self.config, self.real_url, self.left = ckan_config, ckan_config["solr_url"], refusals
        self.refused = 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}/solr/ckan_test"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while self.left > 0:
            try:
                connection, _address = self.listener.accept()
            except OSError:  # closed
                return
            connection.close()
            self.refused += 1
            self.left -= 1
        self.config["solr_url"] = self.real_url
        self.listener.close()

    def close(self) -> None:
        """Stop refusing: CKAN is pointed back at the real Solr."""
        self.left = 0
        self.config["solr_url"] = self.real_url
        self.listener.close()
