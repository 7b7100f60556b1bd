"""GraphQL surface of public disclosure (兩公開): notices, their readers and questions."""
