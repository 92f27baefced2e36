from django.http import HttpResponse


def pair(request):
    return HttpResponse("todo")


login = logout = unlock = pair
