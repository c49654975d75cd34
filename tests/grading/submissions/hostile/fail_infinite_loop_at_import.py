# expect: timed out after 1 s while loading your file
x = 0
while True:
    x += 1
