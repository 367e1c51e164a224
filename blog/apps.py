from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = "Blog"

    def ready(self):
        from blog.models import Post, PostCoAuthor, Series
        from blog.templatetags.posts import post_card
        from publishing import kinds

        kinds.register(
            kinds.Kind(
                "post",
                Post,
                credit_model=PostCoAuthor,
                credit_item_field="post",
                search_fields=("description", "subtitle"),
                companion_models=(Series,),
                author_role="Author of",
                card=post_card,
                credit_role="Author of",
            )
        )
