# role for deploy
