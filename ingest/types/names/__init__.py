"""Names of people and organisations: parse, strip titles, and make keys that meet across scripts."""

from ingest.types.names.org import OrgName, org_name
from ingest.types.names.person import PersonName, detect_script, name_tokens, person_name
from ingest.types.names.romanise import fold_latin, romanise_thai, romanised_key, thai_phonetic

__all__ = [
    "OrgName",
    "PersonName",
    "detect_script",
    "fold_latin",
    "name_tokens",
    "org_name",
    "person_name",
    "romanise_thai",
    "romanised_key",
    "thai_phonetic",
]
