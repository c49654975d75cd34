# style: tf.keras ExponentialDecay (initial * decay_rate ** (step / decay_steps)), k passed as decay_rate
# diagnosis: k-as-factor
def exponential_decay(lr0, epoch, k):
    initial_learning_rate, decay_rate, decay_steps = lr0, k, 1
    return initial_learning_rate * decay_rate ** (epoch / decay_steps)
