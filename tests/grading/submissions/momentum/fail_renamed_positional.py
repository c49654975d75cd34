# expect: by keyword
def momentum_update(weights, grad, velocity, lr, beta=0.9):
    velocity = beta * velocity + (1 - beta) * grad
    return weights - lr * velocity, velocity
