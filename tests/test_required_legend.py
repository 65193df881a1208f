"""RGAA 11.10: a form whose fields carry the required asterisk says what it means, before the
fields; a form without required fields does not."""

from tests.helpers import text


def test_required_fields_are_explained(client, agent, open_community):
    legend = "Les champs marqués d'un astérisque (*) sont obligatoires."
    login = client.get("/connexion").get_data(as_text=True)
    assert legend in login
    assert login.index(legend) < login.index('name="email"')
    client.login(agent)
    assert legend in text(client.get(f"/communautes/{open_community.slug}/idees/nouvelle"))
    assert legend not in text(client.get("/idees"))
