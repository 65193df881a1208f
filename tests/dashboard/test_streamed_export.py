"""A streamed CSV export as production serves it: the request's app context ends (and with it
the database session) before the body is sent. The suite's session-wide app context hides that
(Flask reuses it for every request), so this test drives a second app whose requests push and
pop their own context, as under gunicorn."""

import re

from ideas import create_app
from ideas.exports import CHUNK_ROWS
from tests import factories

CSRF = re.compile(r'"X-CSRFToken": "([^"]+)"')


def test_csv_rows_are_read_after_the_view_has_returned(app, db, manager, open_community):
    author = factories.UserFactory()
    for n in range(CHUNK_ROWS + 5):  # more than one chunk: rows fetched while streaming
        factories.IdeaFactory(community=open_community, author=author, title=f"Idée {n:04d}")
    db.session.commit()
    other = create_app("testing", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
                       SEARCH_INDEX_DIR=app.config["SEARCH_INDEX_DIR"],
                       SEARCH_AUTO_REBUILD_MAX=0)
    client = other.test_client()
    token = CSRF.search(client.get("/accessibilite").text).group(1)
    response = client.post("/connexion", data={"email": manager.email,
                                               "password": factories.PASSWORD,
                                               "csrf_token": token})
    assert response.status_code == 302
    response = client.get("/pilotage/idees.csv")
    assert response.status_code == 200
    assert response.data.decode("utf-8-sig").count("Idée 0") == CHUNK_ROWS + 5
