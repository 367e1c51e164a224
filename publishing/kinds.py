"""The models behind each kind of item that files hold, for the importer and exporter."""

from blog.models import Post, PostCoAuthor
from publishing.dialects import POST, TALK
from talks.models import Talk, TalkGuest

MODELS = {POST: Post, TALK: Talk}
# The credit model of each kind and the name of its foreign key to the item.
CREDIT_MODELS = {POST: (PostCoAuthor, "post"), TALK: (TalkGuest, "talk")}
