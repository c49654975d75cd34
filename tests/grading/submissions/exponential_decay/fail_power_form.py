# diagnosis: k-as-factor
def exponential_decay(lr0, epoch, k):
    return lr0 * k ** epoch
